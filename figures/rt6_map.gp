# RT-6 (RT Fig. 2): test error of dense tanh nets relative to the best
# constant predictor, over depth and width, with RT's curve.
set xlabel 'hidden layers $k$'
set ylabel 'width $w$'
set cblabel 'MAE / MAE of the median'
set xrange [0.5:20.5]
set yrange [0:105]
set cbrange [0.5:1.5]
set palette defined (0.5 '#1a9850', 1.0 '#ffffbf', 1.5 '#d73027')
set key top right box opaque
f = data.'rt6_grid.tsv'
plot f using (strcol('act') eq 'tanh' ? column('depth') : 1/0):'width':'rel' with points pt 5 ps 1.6 palette title 'tanh nets (mean of reps)', \
     data.'rt6_curve.tsv' using 'depth':'wcurve' with linespoints lt 1 lw 2 title 'RT: $w = n^{(k-1)/k}2^{n^{1/k}}$'
