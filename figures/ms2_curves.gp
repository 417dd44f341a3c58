# MS-2: learning curves, the held-out reconstruction error per unit of every layer (panels)
# of every trained stack (one thin line per network: the spread of the repetitions), for the
# strongest penalty (orange), without penalty (orange, dashed) and the stacks trained on the
# Gaussian field with the same two-point function (grey).
set multiplot layout 1,3 spacing 0.07
set xlabel 'epoch'
set logscale y
set format y '$10^{%T}$'
f = data.'ms2_curves.tsv'
sel(d, a, l) = strcol('data') eq d && column('l1') == a && column('layer') == l ? column('recon') : NaN
do for [l=1:3] {
    set title sprintf('layer %d', l)
    if (l == 1) { set ylabel 'held-out reconstruction error'; set key bottom left font ',7' } else { unset ylabel; unset key }
    plot f using 'epoch':(sel('ising', 1e-2, l)) with lines lt 3 lw 1 title '$\lambda_1 = 10^{-2}$', \
         f using 'epoch':(sel('ising', 0, l)) with lines lt 3 lw 1 dt 2 title 'no penalty', \
         f using 'epoch':(sel('gauss', 1e-2, l)) with lines lt 9 lw 1 title 'Gaussian null'
}
unset multiplot
