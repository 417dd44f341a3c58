# LT-17: I(x;f(y)) against I(x;y) for random joints (first 2000 cells):
# sufficient f on the diagonal, all others strictly below.
set logscale xy
set xlabel '$I(x;y)$ (nats)'
set ylabel '$I(x;f(y))$ (nats)' offset -1.5,0
set format x '$10^{%L}$'
set format y '$10^{%L}$'
set key top left Left reverse spacing 1.4
f = data.'hierarchy_dpi.tsv'
sel(fam) = column('cell') < 2000 && strcol('family') eq fam && column('Ixf') > 0 ? column('Ixf') : 1/0
plot f using 'Ixy':(sel('random')) with points lt 9 pt 7 ps 0.35 title 'random $P(x,y)$, $f$ not sufficient', \
     f using 'Ixy':(sel('sufficient')) with points lt 2 pt 6 ps 0.5 title '$f$ sufficient by construction', \
     x with lines lt 1 dt 2 title 'equality'
