# Samples needed for 10% coupling error vs the number of parameters, every
# lattice and temperature, with the fitted power law.
set xlabel 'parameters $P$'
set ylabel 'samples $N^*$ for the target error'
set logscale xy
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set key bottom right Left reverse box opaque
f = data.'coupling_nstar.tsv'
set fit quiet
set fit logfile '/dev/null'
lf(x) = a + b * x
a = 1; b = 1
fit lf(x) f using (log(column('P'))):(column('censored') == 0 ? log(column('nstar')) : 1/0) via a, b
plot f using (column('L') == 8 && column('censored') == 0 ? column('P') : 1/0):'nstar' with points lt 2 pt 7 ps 1.2 title '$L = 8$', \
     f using (column('L') == 16 && column('censored') == 0 ? column('P') : 1/0):'nstar' with points lt 5 pt 5 ps 1.2 title '$L = 16$', \
     f using (column('censored') == 1 ? column('P') : 1/0):'nstar' with points lt 9 pt 6 ps 1.2 title 'at or below the smallest $N$', \
     exp(a) * x**b with lines lt 1 dt 2 title sprintf('fit $N^* \propto P^{%.2f}$', b)
