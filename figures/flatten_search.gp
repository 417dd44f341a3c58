# Lattice searches: the fewest neurons found vs the lower bound (generic sigma:
# prod(r_i+1); sigma = x^d: the largest coefficient, RT Thm II.2). On the
# diagonal the bound is attained; above it the bound is not tight.
f = data.'flatten_search.tsv'
set xlabel 'lower bound (neurons)'
set ylabel 'fewest neurons found on the lattice'
set xrange [0:10]
set yrange [0:10]
set key bottom right
g(c) = (strcol('mode') eq 'generic') ? column(c) : NaN
p(c) = (strcol('mode') eq 'power' && column('min_neurons') > 0) ? column(c) : NaN
plot x with lines lt 1 dt 2 lw 1 title 'min = bound', \
     f using (g('bound')):(g('min_neurons')) with points lt 2 pt 7 ps 1.0 title 'generic $\sigma$ (all $\sigma_k \ne 0$)', \
     f using (p('bound')):(p('min_neurons')) with points lt 3 pt 5 ps 1.0 title '$\sigma = x^d$'
