# Numerical convergence as the input scale lambda -> 0: relative error of the
# shallow product (Eq. A4, exp and softplus) and of the deep tree (softplus).
f = data.'flatten_lambda.tsv'
set logscale xy
set format y '$10^{%T}$'
set xlabel 'input scale $\lambda$'
set ylabel 'max relative error'
set key top left
c(name,n,col) = (strcol('construction') eq name && column('n') == n) ? column(col) : NaN
plot for [n=2:4] f using (c('A4-exp',n,'lambda')):(c('A4-exp',n,'rel_err')) smooth unique with linespoints lt (n) \
         title sprintf('Eq. A4, exp, $n=%d$', n), \
     f using (c('A4-softplus',2,'lambda')):(c('A4-softplus',2,'rel_err')) smooth unique with linespoints lt 5 \
         title 'Eq. A4, softplus, $n=2$', \
     for [j=2:5] f using (c('tree-softplus',2**j,'lambda')):(c('tree-softplus',2**j,'rel_err')) smooth unique \
         with linespoints lt 5 pt (j+2) title sprintf('tree, softplus, $n=%d$', 2**j)
