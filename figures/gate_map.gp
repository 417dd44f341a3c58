set view map
set pm3d map
set xlabel '$x$'
set ylabel '$y$'
# the colour bar's label sits right of its tick labels
set cblabel '$m(x,y)-xy$' offset 3,0
set cbtics format '$%.2f$'
set colorbox user origin graph 1.08, graph 0 size graph 0.05, graph 1
set size ratio -1
unset grid
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
splot data.'gate_map.tsv' u 1:2:3 w pm3d
