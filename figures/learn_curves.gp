# BP-LEARN: coupling recovery at L = 8 near T_c: relative error of the whole
# coupling matrix vs the number of Monte Carlo samples, for three
# parametrizations (mean over independent chains, standard-error bars), and
# the all-pairs model's error on its nearest-neighbour couplings alone (the
# first rule's metric).  The key sits below the axes, off the data.
set xlabel 'samples $N$'
set ylabel 'relative error of the couplings' offset -1.5,0
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set bmargin 8
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 3 Left reverse samplen 2 spacing 1.3
sel(p, l, t) = (strcol('param') eq p && column('L') == l && abs(column('T') - t) < 1e-3)
f = data.'coupling_recovery.tsv'
tc = 2.2692
plot f using (sel('all-pairs', 8, tc) ? column('N') : 1/0):'err_full':'err_full_se' with yerrorlines lt 3 title 'all pairs ($P = 2016$)', \
     f using (sel('all-pairs', 8, tc) ? column('N') : 1/0):'err' with linespoints lt 3 dt 2 pt 6 title 'all pairs, NN part (first rule)', \
     f using (sel('nearest-neighbour', 8, tc) ? column('N') : 1/0):'err_full':'err_full_se' with yerrorlines lt 2 title 'nearest neighbours ($P = 128$)', \
     f using (sel('shared', 8, tc) ? column('N') : 1/0):'err_full':'err_full_se' with yerrorlines lt 4 title 'one shared coupling ($P = 1$)', \
     0.1 with lines lt 9 dt 2 title 'target'
