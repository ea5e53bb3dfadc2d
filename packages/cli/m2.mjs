const mu = (l) => { const m = process.memoryUsage(); console.log(l.padEnd(28), `rss ${(m.rss/1e6).toFixed(1)} heapUsed ${(m.heapUsed/1e6).toFixed(1)} heapTotal ${(m.heapTotal/1e6).toFixed(1)} ext ${(m.external/1e6).toFixed(1)} ab ${(m.arrayBuffers/1e6).toFixed(1)}`); };
mu("base");
for (const m of ["@flytekit-ts/idl", "@flytekit-ts/types", "@flytekit-ts/compiler", "flytekit-ts", "@flytekit-ts/runtime", "/work/main/bench/fixtures/flows.mjs"]) { const t=performance.now(); await import(m); mu(m + " " + (performance.now()-t).toFixed(1)+"ms"); }
process.on("exit",()=>console.log("maxRSS", process.resourceUsage().maxRSS/1024));
