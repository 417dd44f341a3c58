# BP-LEARN: coupling recovery at L = 8 near T_c: held-out log pseudo-likelihood
# per spin of the true model minus that of the fit (>= 0 up to noise), vs N.
# The key sits below the axes, off the data.
set xlabel 'samples $N$'
set ylabel 'held-out excess $-\log$ PL per spin' offset -1.5,0
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set bmargin 5
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 1 Left reverse samplen 2 spacing 1.3
sel(p, l, t) = (strcol('param') eq p && column('L') == l && abs(column('T') - t) < 1e-3)
f = data.'coupling_recovery.tsv'
tc = 2.2692
plot f using (sel('all-pairs', 8, tc) && column('dpl') > 0 ? column('N') : 1/0):'dpl':'dpl_se' with yerrorlines lt 3 title 'all pairs', \
     f using (sel('nearest-neighbour', 8, tc) && column('dpl') > 0 ? column('N') : 1/0):'dpl':'dpl_se' with yerrorlines lt 2 title 'nearest neighbours', \
     f using (sel('shared', 8, tc) && column('dpl') > 0 ? column('N') : 1/0):'dpl':'dpl_se' with yerrorlines lt 4 title 'one shared coupling'
