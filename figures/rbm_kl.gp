# BP-KL: exact KL divergence (nats) from the L = 4 Boltzmann distribution to
# RBMs against the number of hidden units, one panel per temperature.  Blue
# (RBM trained by PCD): mean and standard error over the repetitions, raw
# (solid) and flip-symmetrized (dashed).  Black (exact): the exact-gradient
# reference from the rep-0 model, raw (solid) and symmetrized (dashed).
# Black dotted steps: the capacity bound, the lowest raw KL any model of at
# most that width reached (trained or exact-gradient): it cannot rise with nh.
# Key entries are short so the key fits inside the first panel (raw is
# solid, sym. dashed).  Stars: single trained models that reached the epoch cap without their
# plateau (unconverged), at their raw KL.
f = data.'rbm_kl_mean.tsv'
g = data.'rbm_kl.tsv'
stats f using 'nh' nooutput
set xrange [STATS_min / 1.4 : STATS_max * 1.4]
set multiplot layout 1,3 spacing 0.10
set logscale xy
set format y '$10^{%L}$'
set yrange [0.002:30]
set xlabel 'hidden units $n_h$'
sel(t) = (abs(column('T') - t) < 1e-3)
do for [i = 1:3] {
    t = i == 1 ? 1.8 : i == 2 ? 2.269185 : 3.0
    set title (i == 1 ? '$T = 1.8$' : i == 2 ? '$T = T_c$' : '$T = 3$')
    set ylabel (i == 1 ? 'exact KL$(p_T \,\|\, q)$ (nats)' : '')
    if (i == 1) { set key bottom left Left reverse spacing 1.2 samplen 1.5 width -2 } else { unset key }
    plot f using (sel(t) ? column('nh') : 1/0):'kl':'kl_se' with yerrorlines lt 2 dt 1 pt 5 title 'PCD', \
         f using (sel(t) ? column('nh') : 1/0):'kl_sym':'kl_sym_se' with yerrorlines lt 2 dt 2 pt 4 title 'PCD, sym.', \
         f using (sel(t) ? column('nh') : 1/0):'kl_exact' with linespoints lt 1 dt 1 pt 7 title 'exact grad.', \
         f using (sel(t) ? column('nh') : 1/0):'kl_exact_sym' with linespoints lt 1 dt 2 pt 6 title 'exact, sym.', \
         f using (sel(t) ? column('nh') : 1/0):'kl_capacity' with steps lt 1 dt 3 lw 2 title 'capacity bound', \
         g using (sel(t) && column('converged') == 0 ? column('nh') : 1/0):'kl' with points lt 2 pt 3 ps 1.2 title 'unconverged'
}
unset multiplot
