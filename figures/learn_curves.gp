# Coupling recovery at L = 8 near T_c: relative error of the nearest-neighbour
# couplings vs the number of Monte Carlo samples, for three parametrizations
# (mean over independent chains, standard-error bars).
set xlabel 'samples $N$'
set ylabel 'relative RMS error of the couplings'
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set key bottom left Left reverse box opaque
sel(p, l, t) = (strcol('param') eq p && column('L') == l && abs(column('T') - t) < 1e-3)
f = data.'coupling_recovery.tsv'
tc = 2.2692
plot f using (sel('all-pairs', 8, tc) ? column('N') : 1/0):'err':'err_se' with yerrorlines lt 3 title 'all pairs ($P = 2016$)', \
     f using (sel('nearest-neighbour', 8, tc) ? column('N') : 1/0):'err':'err_se' with yerrorlines lt 2 title 'nearest neighbours ($P = 128$)', \
     f using (sel('shared', 8, tc) ? column('N') : 1/0):'err':'err_se' with yerrorlines lt 4 title 'one shared coupling ($P = 1$)', \
     0.1 with lines lt 9 dt 2 title 'target'
