set logscale x 2
set xlabel 'number of factors $n$'
set ylabel 'error at $x_i=1$, $\lambda=0.05$ (softplus)'
set y2label 'neurons'
set y2tics
set ytics nomirror
set key top left
plot data.'gate_tree.tsv' u 'n':'err' w lp lt 5 t 'tree error', \
     '' u 'n':'neurons' axes x1y2 w l lt 2 t 'neurons built', \
     '' u 'n':'four_n_minus_one' axes x1y2 w l lt 1 dt 2 t '$4(n-1)$'
