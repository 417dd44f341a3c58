# Shared gnuplot style, loaded before every figure script.
# One colour per model, kept across chapters (line types 1..12):
#   1 exact / theory        black      7 DBM              purple
#   2 deepcheap / RBM       blue       8 DRBN             brown
#   3 PyTorch / DBN         orange     9 Haar random      grey
#   4 logistic              green     10 FU (hard)        crimson
#   5 softplus              red       11 product (easy)   teal
#   6 tanh                  cyan      12 ReLU             magenta
set linetype 1  lc rgb '#000000' lw 2 pt 7 ps 0.6
set linetype 2  lc rgb '#1f5fbf' lw 2 pt 5 ps 0.6
set linetype 3  lc rgb '#e07b00' lw 2 pt 9 ps 0.6
set linetype 4  lc rgb '#2a9d3a' lw 2 pt 11 ps 0.6
set linetype 5  lc rgb '#d62728' lw 2 pt 13 ps 0.6
set linetype 6  lc rgb '#17becf' lw 2 pt 7 ps 0.6
set linetype 7  lc rgb '#7b3fa0' lw 2 pt 5 ps 0.6
set linetype 8  lc rgb '#8c564b' lw 2 pt 9 ps 0.6
set linetype 9  lc rgb '#7f7f7f' lw 2 pt 11 ps 0.6
set linetype 10 lc rgb '#b2182b' lw 2 pt 13 ps 0.6
set linetype 11 lc rgb '#008080' lw 2 pt 7 ps 0.6
set linetype 12 lc rgb '#d62fd6' lw 2 pt 5 ps 0.6
set datafile separator tab
set datafile commentschars '#'
set datafile columnheaders
set key noautotitle
set grid lc rgb '#dddddd'
set border lw 1
