set logscale xy
set format x '$2^{%L}$'
set logscale x 2
set format y '$10^{%L}$'
set xlabel '$\lambda$'
# the subscript of the rotated label points at the tick labels: keep it clear of them
set ylabel 'certified $\sup_{[-1,1]^2}|m(x,y)-xy|$' offset -1.5,0
# the curves rise to the upper right: the key goes to the empty lower right
set key bottom right spacing 1.1
f = data.'gate_sup_lambda.tsv'
sel(a) = strcol('act') eq a && strcol('status') eq 'certified' ? column('sup_hi') : NaN
plot f u 'lambda':(sel('softplus')) w lp lt 5 t 'softplus', \
     f u 'lambda':(sel('logistic')) w lp lt 4 t 'logistic ($b=\ln 3$)', \
     f u 'lambda':(sel('tanh')) w lp lt 6 t 'tanh ($b=\ln 3/2$)', \
     f u 'lambda':(sel('exp')) w lp lt 9 t 'exp', \
     f u 'lambda':(sel('elu')) w p lt 11 t 'ELU ($b=-2$)', \
     f u 'lambda':(strcol('act') eq 'softplus' ? column('lead_pred') : NaN) w l lt 1 dt 2 t 'softplus leading order $\lambda^2/6$'
