# LT-2: test cross-entropy per epoch of softmax regression on quadratic
# (Hamiltonian) and linear features, against H(Y|X) with its error band.
set xlabel 'epoch of gradient descent'
set ylabel 'test cross-entropy (nats)'
set logscale x
set xrange [1:*]
set key top right
stats data.'softmax_training.tsv' using 'H_YX' nooutput
h = STATS_mean
stats data.'softmax_training.tsv' using 'H_YX_err' nooutput
he = STATS_mean
set yrange [h - 0.03 : h + 0.25]
plot h - he with filledcurves y1 = h + he fc rgb '#cccccc' fs solid 0.6 title '$H(Y|X)\pm1\sigma$', \
     h with lines lt 1 dt 2 title '$H(Y|X)$ (Monte Carlo)', \
     data.'softmax_training.tsv' using ($1 > 0 ? $1 : 1/0):'test_quad' with linespoints lt 4 title 'quadratic (Hamiltonian) features', \
     data.'softmax_training.tsv' using ($1 > 0 ? $1 : 1/0):'test_lin' with linespoints lt 3 title 'linear features'
