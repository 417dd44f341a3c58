# Sparse products (LT-15): sampled flattening cost C_s = fill/(2p) with standard
# errors, against LT Eq. 27 [1-(1-p^2)^n]/(2p) (lines) and the cap 1/(2p) (dashed).
f = data.'flatten_sparse.tsv'
set logscale xy
set xlabel 'density $p$'
set ylabel 'synaptic flattening cost $C_s$'
set key outside right top vertical Left reverse samplen 2 spacing 1.4
set xrange [0.007:0.3]
s(n,c) = (column('n') == n) ? column(c) : NaN
eq27(n,p) = (1 - (1 - p*p)**n) / (2*p)
plot for [j=0:3] f using (s(32*2**j,'p')):(s(32*2**j,'Cs_mean')):(s(32*2**j,'Cs_se')) with yerrorbars lt (j+2) pt 7 \
         title sprintf('$n=%d$ sampled', 32*2**j), \
     for [j=0:3] eq27(32*2**j, x) with lines lt (j+2) lw 1 notitle, \
     1/(2*x) with lines lt 1 dt 2 lw 1 title '$1/(2p)$'
