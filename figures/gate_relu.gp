set logscale x
set format x '$10^{%L}$'
set xlabel 'target error $\epsilon$'
set ylabel 'neurons'
set xrange [*:*] reverse
set key top left
plot data.'gate_relu.tsv' u 'eps':'relu_neurons' w lp lt 12 t 'ReLU (Yarotsky), measured', \
     '' u 'eps':'smooth_neurons' w lp lt 5 t 'softplus gate, certified'
