# RT-6: learning curves of every grid cell (test r against optimizer steps,
# mean over the repetitions with their standard deviation as bars), tanh
# left and ReLU right; the colour is the depth (key: the colour box).  The
# dotted line at r = 1 is the best constant.
f = data.'rt6_learn.tsv'
g(a) = (strcol('kind') eq 'grid' && strcol('act') eq a)
set logscale x
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set xlabel 'optimizer steps'
set ylabel 'test $r$ (1: best constant)'
set cblabel 'depth $k$'
set palette defined (0 '#fde725', 0.5 '#21918c', 1 '#440154')
set key at screen 0.5, screen 0.02 center bottom horizontal
set bmargin 5.5
set multiplot layout 1,2
do for [a in 'tanh relu'] {
    set title a
    plot f using (g(a) ? column('steps') : NaN):'r':'r_sd':'depth' with yerrorlines lc palette pt 7 ps 0.4 notitle, \
         1 with lines lt 9 dt 3 title (a eq 'tanh' ? 'best constant' : '')
}
unset multiplot
