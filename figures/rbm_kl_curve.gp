# BP-KL learning curves: the exact KL (nats) of every PCD-trained RBM at its
# checkpoints against the epoch, one panel per temperature (blue: raw,
# solid; flip-symmetrized, dashed; every width and repetition), and the
# positive control (students of a teacher RBM, grey).  A curve ends where
# the plateau criterion or the budget cap stopped its training.
f = data.'rbm_kl_curve.tsv'
set multiplot layout 2,2 spacing 0.08,0.12
set logscale y
set format y '$10^{%L}$'
set yrange [0.003:30]
set xlabel 'epoch'
# the epoch-0 point (the initial model) is left out so that each model's curve is a separate line
sel(m, t) = (column('model') == m && abs(column('T') - t) < 1e-3 && column('x') > 0)
do for [i = 1:4] {
    m = i == 4 ? 2 : 0
    t = i == 1 ? 1.8 : i == 2 ? 2.269185 : i == 3 ? 3.0 : 0
    lt = i == 4 ? 9 : 2
    set title (i == 1 ? '$T = 1.8$' : i == 2 ? '$T = T_c$' : i == 3 ? '$T = 3$' : 'control: teacher RBM')
    set ylabel (i % 2 == 1 ? 'exact KL (nats)' : '')
    # the key in the control panel's empty top, clear of every curve
    if (i == 4) { set key top right samplen 2 } else { unset key }
    plot f using (sel(m, t) ? column('x') : 1/0):'kl' with lines lt lt lw 1 title 'raw', \
         f using (sel(m, t) ? column('x') : 1/0):'kl_sym' with lines lt lt lw 1 dt 2 title 'symmetrized'
}
unset multiplot
