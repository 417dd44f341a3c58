# RT Fig. 1: optimal b_i (Lagrange recursion, lines) and the exhaustive integer
# optimum (points) vs n, for k = 2, 3, 4 hidden layers; dashed: n^(1/k).
f = data.'flatten_rt5.tsv'
set logscale xy
set format x '$10^{%T}$'
set xlabel 'number of inputs $n$'
set ylabel 'optimal layer factor $b_i$'
set key top left
sel(k,i,c) = (column('k') == k && column('i') == i) ? column(c) : NaN
plot for [k=2:4] for [i=1:k] f using (sel(k,i,'n')):(sel(k,i,'b_lagrange')) with lines lt k \
         title (i == 1 ? sprintf('$k=%d$', k) : ''), \
     for [k=2:4] for [i=1:k] f using (sel(k,i,'n')):(sel(k,i,'b_integer')) with points lt k pt 6 ps 0.4 notitle, \
     for [k=2:4] x**(1.0/k) with lines lt 1 dt 2 lw 1 title (k == 2 ? '$n^{1/k}$' : '')
