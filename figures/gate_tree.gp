# LT-7: the product of n ones by a tree of softplus gates at lambda = 0.05.
# Left: the error per gate, err / (n - 1), against n, with the depth changes
# (n = 2^k + 1) dotted and the least-squares a of err = a (n - 1) dashed;
# right: the neurons built against 4(n - 1).  Linear axes.
f = data.'gate_tree.tsv'
stats f u (($1 - 1) * column('err')):(($1 - 1)**2) nooutput
a = STATS_sum_x / STATS_sum_y
set multiplot layout 1,2 spacing 0.12
set xlabel 'number of factors $n$'
set xrange [0:66]
set xtics 16
set ylabel 'error per gate, $10^{-4}$' offset -1,0
set yrange [0.9 * a * 1e4:1.1 * a * 1e4]
set format y '$%.2f$'
set key bottom left Left reverse
do for [k = 1:5] { set arrow from 2**k + 1, graph 0.3 to 2**k + 1, graph 1 nohead dt 3 lc rgb '#666666' }
plot f u 'n':(1e4 * column('err') / (column('n') - 1)) w p lt 5 t 'tree error$/(n-1)$', \
     a * 1e4 w l lt 1 dt 2 t 'fit: error $=a\,(n-1)$', \
     NaN w l dt 3 lc rgb '#666666' t 'depth grows'
unset arrow
set ylabel 'neurons'
set yrange [0:*]
set format y '%g'
set key top left Left reverse
plot f u 'n':'neurons' w p lt 2 t 'neurons built', \
     f u 'n':'four_n_minus_one' w l lt 1 dt 2 t '$4(n-1)$'
unset multiplot
