set logscale y
set format y '$10^{%L}$'
set xlabel '$\beta$'
set ylabel 'max error over $\{0,1\}^3$'
set key top right spacing 1.4
plot data.'gate_binary.tsv' u 'beta':'max_err' w p lt 4 t 'binary gate', '' u 'beta':'bound' w l lt 1 dt 2 t '$1/(1+e^{\beta/2})$'
