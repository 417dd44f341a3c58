# RT-6: learning curves of every grid cell (test r against optimizer steps,
# mean over the repetitions with their standard deviation as bars), tanh
# left and ReLU right; the colour is the depth (key: the colour box), solid
# lines the cells above RT's curve, dashed those below.  The dotted line at
# r = 1 is the best constant.
f = data.'rt6_learn.tsv'
g(a, up) = (strcol('kind') eq 'grid' && strcol('act') eq a && column('above') == up)
set logscale x
set autoscale xfix
stats f using 'steps' nooutput
set xtics STATS_min, 2 format '%g'
set offsets graph 0.03, graph 0.03, 0, 0
set xlabel 'optimizer steps'
set ylabel 'test $r$ (1: best constant)'
set cblabel 'depth $k$'
set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 1
set bmargin 7
set multiplot layout 1,2
do for [a in 'tanh relu'] {
    set title a
    plot f using (g(a, 1) ? column('steps') : NaN):'r':'r_sd':'depth' with yerrorlines lc palette pt 7 ps 0.4 \
           title (a eq 'tanh' ? 'above the curve' : ''), \
         f using (g(a, 0) ? column('steps') : NaN):'r':'r_sd':'depth' with yerrorlines lc palette dt 2 pt 6 ps 0.4 \
           title (a eq 'tanh' ? 'below' : ''), \
         1 with lines lt 9 dt 3 title (a eq 'tanh' ? 'best constant' : '')
}
unset multiplot
