# MS-2: receptive fields W_l ... W_1 of the stack with L1 = 1e-2 (panels
# 24-35 of ms2_fields.tsv: 12 per L1 strength in the order 1e-4, 1e-3, 1e-2, 0),
# four units per layer at the 10/30/50/70% quantiles of their spread.
if (!exists('p0')) p0 = 24
set multiplot layout 3,4 margins 0.06,0.88,0.02,0.95 spacing 0.015,0.06
set palette defined (-1 '#1f5fbf', 0 '#ffffff', 1 '#d62728')
set cbrange [-1:1]
set xrange [-0.5:39.5]
set yrange [-0.5:39.5] reverse
set size ratio -1
unset xtics
unset ytics
unset colorbox
unset grid
q = '10 30 50 70'
do for [k=0:11] {
    p = p0 + k
    set title sprintf('\scriptsize layer %d, q%s', k/4 + 1, word(q, k%4 + 1)) offset 0,-0.6
    if (k == 11) { set colorbox user origin 0.9,0.3 size 0.02,0.4; set cbtics ('$-1$' -1, '0' 0, '1' 1) }
    plot data.'ms2_fields.tsv' every :::p::p using 'x':'y':'w' with image
}
unset multiplot
