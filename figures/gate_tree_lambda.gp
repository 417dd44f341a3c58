# LT-7: the largest lambda for which the softplus gate tree multiplies n ones
# with error <= 1e-3, vs n - 1; the errors of the n - 1 gates add, so
# lambda ~ (n - 1)^(-1/2) (dashed: through the first point).
f = data.'gate_tree.tsv'
stats f u 'lambda_target' nooutput
l2 = STATS_max
set logscale xy 2
set xlabel 'number of gates $n-1$'
set ylabel '$\lambda$ for tree error $\le 10^{-3}$'
set format x '$%g$'
set format y '$2^{%L}$'
set key top right spacing 1.4
plot f u (column('n') - 1):'lambda_target' w p lt 5 t 'softplus tree (bisection)', \
     f u (column('n') - 1):(l2 / sqrt(column('n') - 1)) w l lt 1 dt 2 t '$\propto (n-1)^{-1/2}$'
