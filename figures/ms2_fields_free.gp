# MS-2: the same as ms2_fields.gp for the stack trained without a penalty.
p0 = 36
load 'figures/ms2_fields.gp'
