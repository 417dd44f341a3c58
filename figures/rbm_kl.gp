# BP-KL: exact KL divergence (nats) from the L = 4 Boltzmann distribution to
# trained RBMs, vs the number of hidden units, at three temperatures (mean
# and standard error over repetitions; RBM colour).
f = data.'rbm_kl_mean.tsv'
set xlabel 'hidden units $n_h$'
set ylabel 'exact $\mathrm{KL}(p_T \,\|\, q_{\mathrm{RBM}})$ (nats)'
set logscale xy
set format y '$10^{%L}$'
set key bottom left Left reverse spacing 1.3
sel(t) = (abs(column('T') - t) < 1e-3)
plot f using (sel(1.8) ? column('nh') : 1/0):'kl':'kl_se' with yerrorlines lt 2 dt 1 pt 5 title '$T = 1.8$', \
     f using (sel(2.2692) ? column('nh') : 1/0):'kl':'kl_se' with yerrorlines lt 2 dt 2 pt 7 title '$T = T_c$', \
     f using (sel(3.0) ? column('nh') : 1/0):'kl':'kl_se' with yerrorlines lt 2 dt 3 pt 9 title '$T = 3.0$'
