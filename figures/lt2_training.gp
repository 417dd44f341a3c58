# LT-2: test cross-entropy per epoch of softmax regression on quadratic
# (Hamiltonian) and linear features, against H(Y|X) with its error band
# (repetition 0; the verdict uses every repetition).  The key sits below
# the axes, off the data.
set xlabel 'epoch of gradient descent'
set ylabel 'test cross-entropy (nats)' offset -1,0
set logscale x
set xrange [1:*]
set bmargin 6
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 2 Left reverse samplen 2 spacing 1.3
stats data.'softmax_training.tsv' using 'H_YX' nooutput
h = STATS_mean
stats data.'softmax_training.tsv' using 'H_YX_err' nooutput
he = STATS_mean
set yrange [h - 0.03 : h + 0.25]
plot h - he with filledcurves y1 = h + he fc rgb '#cccccc' fs solid 0.6 title '$H(Y|X)\pm1\sigma$', \
     h with lines lt 1 dt 2 title '$H(Y|X)$ (Monte Carlo)', \
     data.'softmax_training.tsv' using ($1 > 0 ? $1 : 1/0):'test_quad' with linespoints lt 4 title 'quadratic (Hamiltonian) features', \
     data.'softmax_training.tsv' using ($1 > 0 ? $1 : 1/0):'test_lin' with linespoints lt 3 title 'linear features'
