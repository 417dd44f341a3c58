# BP-RELU in float64 and float32.  Left: the softplus gate's error against
# lambda: the truncation lambda^2/6 (exact arithmetic) falls, the rounding
# of the cancelling numerator (~ u / lambda^2) rises, so each precision has
# a floor.  Right: the ReLU net against its neurons, with its bound.
set multiplot layout 1,2 spacing 0.1
set logscale xy
set format y '$10^{%L}$'
set yrange [1e-17:10]
set ytics 1e-16, 1e4
set key bottom right
s = data.'gate_floor_smooth.tsv'
set xlabel '$\lambda$'
set format x '$10^{%L}$'
set xrange [1e-7:1]
set xtics 1e-6, 100
set ylabel 'grid $\max|{\rm net}-xy|$'
plot s u 'lambda':'err64' w lp lt 5 t 'softplus, float64', \
     s u 'lambda':'err32' w lp lt 5 dt 3 pt 6 t 'softplus, float32', \
     s u 'lambda':'lead_pred' w l lt 1 dt 2 t 'exact: $\lambda^2/6$'
r = data.'gate_floor_relu.tsv'
unset logscale x
set xlabel 'neurons'
set format x '%g'
set xrange [0:260]
set xtics 50
set ylabel ''
set key top right
plot r u 'neurons':'err64' w lp lt 12 t 'ReLU, float64', \
     r u 'neurons':'err32' w lp lt 12 dt 3 pt 4 t 'ReLU, float32', \
     r u 'neurons':'bound' w l lt 1 dt 2 t 'bound $2^{-2m-2}$'
unset multiplot
