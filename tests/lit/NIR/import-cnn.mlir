// Sinabs' N-MNIST CNN: convolutions stay kernels, a SumPool2d before a
// convolution folds into a strided kernel (3x3 after a 2x2 pool = 6x6,
// stride 2, padding 2), SumPool2d + Flatten + Affine fold into one dense
// matrix over the pre population (256 x 512).
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/cnn_sinabs.nir --dt 1 --elide-blobs | FileCheck %s

// CHECK: snn.input @input : !snn.spikes<2x34x34>
// CHECK-DAG: snn.population @"1" {model = #snn.model<if>, params = #snn.continuous<v_th = 1.000000e+00, r = 1.000000e+00>} : !snn.spikes<16x16x16>
// CHECK-DAG: snn.population @"12" {{.*}}record_as = ["output"]} : !snn.spikes<10>
// CHECK-DAG: snn.population @"6" {{.*}} : !snn.spikes<8x8x8>
// CHECK-DAG: snn.projection @"0" {{.*}}#snn.conv2d<kernel = {{.*}} : tensor<16x2x5x5xf64>, stride = [2, 2], padding = [1, 1], dilation = [1, 1], in_shape = [2, 34, 34]>
// CHECK-DAG: snn.projection @"2" {{.*}}tensor<16x16x3x3xf64>, stride = [1, 1], padding = [1, 1], dilation = [1, 1], in_shape = [16, 16, 16]>
// CHECK-DAG: snn.projection @"5" {{.*}}tensor<8x16x6x6xf64>, stride = [2, 2], padding = [2, 2], dilation = [1, 1], in_shape = [16, 16, 16]>} : !snn.spikes<16x16x16> -> !snn.spikes<8x8x8>
// CHECK-DAG: snn.projection @"9" {{.*}}#snn.dense<dense_resource<cnn_sinabs_9_weights> : tensor<256x512xf64>>} : !snn.spikes<8x8x8> -> !snn.spikes<256>
// CHECK-DAG: snn.projection @"11" {{.*}}tensor<10x256xf64>
