# MS-2, per layer and L1 strength: left, the spread rg of the receptive
# fields (dots: median of the same fields with sites shuffled; dashed: a
# uniform field); right, their feature scale xi.  Boxes: quartiles, whiskers:
# 10/90% quantiles, thick bar: median, over units and repetitions.
set multiplot layout 1,2 spacing 0.1
set xlabel 'layer (units)'
set xrange [0.5:3.5]
set xtics ('1 (400)' 1, '2 (100)' 2, '3 (25)' 3)
set boxwidth 0.15
set style fill solid 0.3 border
stats data.'ms2_summary.tsv' using 'uniform' nooutput
uni = STATS_max
off(a) = a == 0 ? 0.27 : a < 5e-4 ? -0.27 : a < 5e-3 ? -0.09 : 0.09
sel(a) = column('l1') == a ? column('layer') + off(a) : NaN
set ylabel 'spread $r_g$ (lattice units)'
set yrange [0:1.55 * uni]
set key top left Left reverse maxrows 3 samplen 1.5 width 3 spacing 1.9 font ',7'
set arrow 1 from 0.5,uni to 3.5,uni nohead dt 2 lc rgb '#000000' lw 1.5
f = data.'ms2_summary.tsv'
plot f using (sel(1e-4)):'q25':'q10':'q90':'q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.15 title '$\lambda_1 = 10^{-4}$', \
     f using (sel(1e-3)):'q25':'q10':'q90':'q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.45 title '$\lambda_1 = 10^{-3}$', \
     f using (sel(1e-2)):'q25':'q10':'q90':'q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.8 title '$\lambda_1 = 10^{-2}$', \
     f using (sel(0)):'q25':'q10':'q90':'q75' with candlesticks whiskerbars 0.5 lt 3 dt 2 fs empty title 'no penalty', \
     f using (column('layer') + off(column('l1'))):'median':'median':'median':'median' with candlesticks lt 3 lw 3 notitle, \
     f using (column('layer') + off(column('l1'))):'median_null' with points lt 1 pt 7 ps 0.5 title 'shuffled', \
     NaN with lines dt 2 lc rgb '#000000' lw 1.5 title 'uniform'
unset arrow 1
set ylabel 'feature scale $\xi$ (lattice units)'
set yrange [0:*]
unset key
plot f using (sel(1e-4)):'xi_q25':'xi_q10':'xi_q90':'xi_q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.15, \
     f using (sel(1e-3)):'xi_q25':'xi_q10':'xi_q90':'xi_q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.45, \
     f using (sel(1e-2)):'xi_q25':'xi_q10':'xi_q90':'xi_q75' with candlesticks whiskerbars 0.5 lt 3 fs solid 0.8, \
     f using (sel(0)):'xi_q25':'xi_q10':'xi_q90':'xi_q75' with candlesticks whiskerbars 0.5 lt 3 dt 2 fs empty, \
     f using (column('layer') + off(column('l1'))):'xi_median':'xi_median':'xi_median':'xi_median' with candlesticks lt 3 lw 3
unset multiplot
