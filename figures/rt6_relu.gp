# RT-6: the same map for ReLU nets.
set xlabel 'hidden layers $k$'
set ylabel 'width $w$'
set cblabel 'MAE / MAE of the median'
set xrange [0.5:20.5]
set yrange [0:105]
set cbrange [0.5:1.5]
set palette defined (0.5 '#1a9850', 1.0 '#ffffbf', 1.5 '#d73027')
set key top right box opaque
f = data.'rt6_grid.tsv'
plot f using (strcol('act') eq 'relu' ? column('depth') : 1/0):'width':'rel' with points pt 5 ps 1.6 palette title 'ReLU nets (mean of reps)', \
     data.'rt6_curve.tsv' using 'depth':'wcurve' with linespoints lt 1 lw 2 title 'RT curve'
