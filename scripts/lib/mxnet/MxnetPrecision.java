package lib.mxnet;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.util.PairList;

/**
 * Casts between float32 and bfloat16 on MXNet. DJL's MXNet engine knows no bfloat16 type, so the
 * cast is MXNet's own operator, {@code amp_cast} (the one MXNet's automatic mixed precision
 * inserts): its gradient flows back cast to the input's type. DJL cannot read a bfloat16 array's
 * type or values; the arrays only pass from one MXNet operator to the next.
 */
public final class MxnetPrecision {
    private MxnetPrecision() {}

    /** {@code array} as {@code dtype} ("bfloat16", "float32"), in {@code array}'s manager. */
    public static NDArray cast(NDArray array, String dtype) {
        PairList<String, Object> params = new PairList<>();
        params.add("dtype", dtype);
        return ((MxNDManager) array.getManager()).invoke("amp_cast", new NDList(array), params).head();
    }
}
