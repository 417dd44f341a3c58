# LT-3: beta needed for D correct decimals (error < 0.5 10^-D) of a product
# unit: measured by bisection, the closed form, and the paper's D ln 10.
# The key sits below the axes, off the data.
set xlabel 'correct decimals $D$'
set ylabel '$\beta$ needed'
set bmargin 5
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 1 Left reverse samplen 2 spacing 1.3 width 8
set xrange [0.5:12.5]
plot data.'moebius_decimals.tsv' using 'D':'beta_measured' with points lt 2 pt 7 ps 1 title 'measured', \
     data.'moebius_decimals.tsv' using 'D':'beta_formula' with lines lt 1 title '$2\ln(2\cdot10^D-1)$', \
     data.'moebius_decimals.tsv' using 'D':'beta_paper' with lines lt 9 dt 2 title 'paper: $D\ln 10$'
