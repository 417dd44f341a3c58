# MS-2: learning curves, the held-out reconstruction error per unit of every layer (panels):
# median over the networks (points and line) with their range (error bars, rows rep = 0 of
# ms2_curves.tsv), for the strongest penalty (orange), without penalty (orange, dashed) and
# the stacks trained on the Gaussian field with the same two-point function (grey).
set multiplot layout 1,3 spacing 0.07
set xlabel 'epoch'
set logscale y
set format y '$10^{%T}$'
f = data.'ms2_curves.tsv'
sel(d, a, l) = strcol('data') eq d && column('l1') == a && column('layer') == l && column('rep') == 0 ? column('recon') : NaN
do for [l=1:3] {
    set title sprintf('layer %d', l)
    if (l == 1) { set ylabel 'held-out reconstruction error'; set key bottom left font ',7' } else { unset ylabel; unset key }
    plot f using 'epoch':(sel('ising', 1e-2, l)):'lo':'hi' with yerrorlines lt 3 lw 1 ps 0.3 title '$\lambda_1 = 10^{-2}$', \
         f using 'epoch':(sel('ising', 0, l)):'lo':'hi' with yerrorlines lt 3 lw 1 dt 2 ps 0.3 title 'no penalty', \
         f using 'epoch':(sel('gauss', 1e-2, l)):'lo':'hi' with yerrorlines lt 9 lw 1 ps 0.3 title 'Gaussian null'
}
unset multiplot
