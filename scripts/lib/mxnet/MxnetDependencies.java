package lib.mxnet;

// DJL's MXNet engine. MXNet's own native library (about 46 MB) is a separate jar for the machine's
// platform, which Dependencies.java takes unless ./jbang asks for another engine.

//DEPS ai.djl.mxnet:mxnet-engine

final class MxnetDependencies {
    private MxnetDependencies() {}
}
