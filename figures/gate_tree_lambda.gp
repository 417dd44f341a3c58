# LT-7: the largest lambda for which the softplus gate tree multiplies n ones
# with error <= 1e-3, vs n; errors of the n - 1 gates add, so lambda ~ n^(-1/2).
set logscale xy 2
set xlabel 'number of factors $n$'
set ylabel '$\lambda$ for tree error $\le 10^{-3}$'
set format y '%g'
set key top right
plot data.'gate_tree.tsv' u 'n':'lambda_target' w lp lt 5 t 'softplus tree (bisection)'
