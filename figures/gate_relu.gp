# BP-RELU: neurons for a target error eps (exact arithmetic): the ReLU net
# grows, the softplus gate stays at its 4 neurons.
set logscale x
set format x '$10^{%L}$'
set xlabel 'target error $\epsilon$'
set ylabel 'neurons'
set xrange [0.03:3e-9]
set yrange [0:*]
set key top left Left reverse
plot data.'gate_relu.tsv' u 'eps':'relu_neurons' w lp lt 12 t 'ReLU (Yarotsky), measured', \
     '' u 'eps':'smooth_neurons' w lp lt 5 t 'softplus gate, certified'
