package lib.pytorch;

// DJL's PyTorch engine and its JNI bridge (small, every platform's in one jar). PyTorch's own native
// library (about 107 MB) is a separate jar for the machine's platform: Dependencies.java takes it
// when ./jbang asks for PyTorch (--engine PyTorch, or a machine MXNet does not run on).

//DEPS ai.djl.pytorch:pytorch-engine
//DEPS ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0

final class PytorchDependencies {
    private PytorchDependencies() {}
}
