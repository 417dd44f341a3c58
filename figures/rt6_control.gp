# RT-6 positive controls: the same pipeline on a tanh net of depth 4 and
# width 48 learning prod x_i at n inputs, test r at the budgets B and 4B
# (mean over the repetitions, standard-deviation bars), and sum ln x_i at
# n = 20 (open symbols); the dashed line is the control's bound 0.5, the
# dotted one the best constant.
f = data.'rt6_control.tsv'
p(k, c) = (strcol('kind') eq k) ? column(c) : NaN
set xlabel 'inputs $n$'
set ylabel 'test $r$ (1: best constant)'
set xrange [0:22]
set yrange [0:*]
set key top left
plot f using (p('prod', 'n')):'r_b':'r_b_sd' with yerrorlines lt 6 dt 2 title 'prod $x_i$, budget $B$', \
     f using (p('prod', 'n')):'r_4b':'r_4b_sd' with yerrorlines lt 6 title 'prod $x_i$, budget $4B$', \
     f using (p('sumlog', 'n') - 0.3):'r_b':'r_b_sd' with yerrorbars lt 11 pt 6 title '$\sum\ln x_i$, $B$', \
     f using (p('sumlog', 'n') + 0.3):'r_4b':'r_4b_sd' with yerrorbars lt 11 pt 4 title '$\sum\ln x_i$, $4B$', \
     0.5 with lines lt 5 dt 2 title 'control bound', \
     1 with lines lt 9 dt 3 title 'best constant'
