package lib.mxnet;

// The MXNet engine and its native library. The native library comes as a Maven jar for the
// machine's OS (linux-x86_64, osx-x86_64 or win-x86_64), so nothing is downloaded when a script
// runs. On Windows, pass -Dmxnet.classifier=win-x86_64 to jbang.

//DEPS ai.djl.mxnet:mxnet-engine
//DEPS ai.djl.mxnet:mxnet-native-mkl:1.9.1:${mxnet.classifier,os.detected.classifier}

final class MxnetDependencies {
    private MxnetDependencies() {}
}
