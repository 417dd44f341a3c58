set logscale y
set format y '$10^{%L}$'
set xlabel 'bias $b$ of the logistic gate'
set ylabel 'grid $\max|m-xy|$ at $\lambda=1/10$'
# one curve, named by the axis labels: no key over the data
unset key
plot data.'gate_bias.tsv' u 'b':'sup' w lp lt 4
