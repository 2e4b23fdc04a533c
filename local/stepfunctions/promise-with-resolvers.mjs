// aws-local-stepfunctions 3.0.0 calls Promise.withResolvers (ES2024) in every Task state, and Node 20 lacks it
// (checked on Node 20). Evaluated before the engine is imported; a no-op on Node 22+.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}
