# RT-6: the same maps for ReLU nets.
act = 'relu'
load 'figures/rt6_map.gp'
