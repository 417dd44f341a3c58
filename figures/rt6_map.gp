# RT-6 (RT Fig. 2): log-space test error r of dense nets learning prod x_i
# (n = 20), relative to the best constant (1 = learned nothing), over depth
# and width, each cell filling its part of the grid; left at the long
# budget 4B, right at B, both the mean of the repetitions on one diverging
# scale, white at 1, that spans the data (from 0 at most); RT's curve on both.
# rt6_relu.gp sets act = 'relu' and loads this.
if (!exists('act')) act = 'tanh'
f = data.'rt6_grid.tsv'
sel(c) = (strcol('act') eq act) ? column(c) : NaN
stats f using (sel('r_4b')) nooutput
lo = STATS_min
hi = STATS_max
stats f using (sel('r_b')) nooutput
lo = (STATS_min < lo) ? STATS_min : lo
hi = (STATS_max > hi) ? STATS_max : hi
r = (hi - 1 > 1 - lo) ? hi - 1 : 1 - lo
r = (r > 0) ? r : 0.01
stats f using (sel('k_hi')) nooutput
kmax = STATS_max
stats f using (sel('w_hi')) nooutput
wmax = STATS_max
set xrange [0.5:kmax]
set yrange [0:wmax]
set xlabel 'hidden layers $k$'
unset grid
set key at screen 0.5, screen 0.03 center bottom horizontal
set tmargin 2
set rmargin 7
set bmargin 6.5
set multiplot layout 1,2
set ylabel 'width $w$'
set cblabel 'mean $r$' offset -1,0
clo = (1 - r > 0) ? 1 - r : 0
mid = (1 - clo) / (1 + r - clo)
set cbrange [clo:1 + r]
set cbtics (sprintf('%.3g', clo) clo, '1' 1, sprintf('%.3g', 1 + r) 1 + r)
set palette defined (0 '#2166ac', mid / 2 '#67a9cf', mid '#f7f7f7', (1 + mid) / 2 '#ef8a62', 1 '#b2182b')
set title sprintf('%s, long budget $4B$', act) offset 0,-0.5
plot f using (sel('depth')):'width':'k_lo':'k_hi':'w_lo':'w_hi':'r_4b' with boxxyerror fs solid 1.0 noborder fc palette notitle, \
     data.'rt6_curve.tsv' using 'depth':'wcurve' with lines lt 1 lw 2 title 'RT: $w = n^{(k-1)/k}2^{n^{1/k}}$'
unset ylabel
set title sprintf('%s, budget $B$', act)
plot f using (sel('depth')):'width':'k_lo':'k_hi':'w_lo':'w_hi':'r_b' with boxxyerror fs solid 1.0 noborder fc palette notitle, \
     data.'rt6_curve.tsv' using 'depth':'wcurve' with lines lt 1 lw 2 notitle
unset multiplot
