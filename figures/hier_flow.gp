# LT-18: couplings of the 2D Gaussian field after averaging B x B blocks
# (B = 2^n: n steps of 2 x 2), exact in Fourier space; dashed: B^(2-2i) scaling.
set logscale xy
set xlabel 'block side $B = 2^n$'
set ylabel 'coupling'
set format y '$10^{%L}$'
set xtics (1, 2, 4, 8, 16, 32, 64, 128)
# the key beside the plot, off the data; the y range spans the data
set key outside right center vertical Left reverse spacing 1.5 samplen 2 width -6
set xrange [1:128]
set yrange [5e-6:10]
f = data.'hierarchy_flow.tsv'
ms(c) = strcol('flow') eq 'massless' ? column(c) : 1/0
mv(c) = strcol('flow') eq 'massive' ? column(c) : 1/0
plot f using 'B':(mv('y0') > 0 ? mv('y0') : 1/0) with points lt 2 pt 7 ps 0.9 title '$y_0$ (from $10^{-4}$)', \
     f using 'B':(mv('y0_theory') > 0 ? mv('y0_theory') : 1/0) with lines lt 1 dt 2 title '$y_0 B^2$', \
     f using 'B':(ms('y1')) with points lt 2 pt 5 ps 0.9 title '$y_1$, massless', \
     f using 'B':(mv('y1')) with points lt 3 pt 9 ps 0.9 title '$y_1$, $y_0 = 10^{-4}$', \
     f using 'B':(abs(ms('dy2'))) with points lt 10 pt 13 ps 0.9 title '$|y_2 - y_1/6|$, massless', \
     f using 'B':(abs(ms('dy2_theory'))) with lines lt 1 dt 3 title '$|y_2 - y_1/6|\,B^{-2}$'
