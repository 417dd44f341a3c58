set view map
set pm3d map
set xlabel '$x$'
set ylabel '$y$'
set cblabel '$m(x,y)-xy$'
set size ratio -1
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
splot data.'gate_map.tsv' u 1:2:3 w pm3d
