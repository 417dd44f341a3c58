# LT-3: worst-case error of the three-layer sigmoid network over all 2^n
# inputs vs beta, with its a-priori bound, against the paper's rule.  The
# key sits below the axes, off the data.
set xlabel '$\beta$'
set ylabel 'max error over all inputs' offset -1.5,0
set logscale y
set format y '$10^{%L}$'
set bmargin 6
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 2 Left reverse samplen 2 spacing 1.3
set yrange [1e-16:1e3]
plot data.'moebius_network.tsv' using 'beta':'err_n4' with lines lt 2 title '$n=4$ network', \
     data.'moebius_network.tsv' using 'beta':'err_n8' with lines lt 7 title '$n=8$ network', \
     data.'moebius_network.tsv' using 'beta':'err_n12' with lines lt 5 title '$n=12$ network', \
     data.'moebius_network.tsv' using 'beta':'bound_n12' with lines lt 5 dt 2 title '$n=12$ bound', \
     data.'moebius_network.tsv' using 'beta':'unit_err' with lines lt 1 title 'one product unit', \
     data.'moebius_network.tsv' using 'beta':'paper_rule' with lines lt 9 dt 3 title 'paper: $10^{-\beta/\ln 10}$'
