package lib;

// The libraries every script uses, with their versions in this one place. JBang reads the //DEPS
// lines of every file a script lists in //SOURCES, so each script gets them through lib/*.java.
//
// Each engine's own code and libraries live in a folder of their own (mxnet/, pytorch/; see
// lib.Engines). Its native library, tens of megabytes, comes from Maven Central as a jar for this
// machine's platform; only the chosen engine's is downloaded. MXNet's by default; ./jbang asks for
// PyTorch's with -Dcnn-lessons.native=ai.djl.pytorch:pytorch-native-cpu:2.7.1 and names the platform
// DJL's way with -Dcnn-lessons.platform (linux-x86_64, linux-aarch64, osx-aarch64, win-x86_64).

//JAVA 17+
//SOURCES mxnet/*.java
//SOURCES pytorch/*.java
//DEPS ${cnn-lessons.native:ai.djl.mxnet:mxnet-native-mkl:1.9.1}:${cnn-lessons.platform,os.detected.classifier}
//DEPS ai.djl:bom:${djl.version:0.36.0}@pom
//DEPS ai.djl:api
// DJL excludes commons-lang3 from its commons-compress, which needs it to read tar entries with
// long (GNU or PAX) names: without it such a CIFAR-10 archive fails with NoClassDefFoundError.
//DEPS org.apache.commons:commons-lang3:3.16.0
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS info.picocli:picocli:4.7.7
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS org.knowm.xchart:xchart:4.0.3
// Lesson 12's whitening layer: the eigenvectors of a 12x12 covariance matrix.
//DEPS org.apache.commons:commons-math3:3.6.1

// Arrays created from Java data pass through direct buffers that are freed only when the garbage
// collector runs; a cap on them (and on the heap) keeps a long training run from growing.
// MXNet does the arithmetic; Java only hands it work. On a laptop's few cores the optimising JIT
// compiler and a parallel garbage collector take CPU time from MXNet's threads for little gain, so
// the quick compiler and the single-threaded collector do: training steps run about 10% faster.
//JAVA_OPTIONS -Xmx1g -XX:MaxDirectMemorySize=256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC

final class Dependencies {
    private Dependencies() {}
}
