/** scripts/run-script.mjs: the run command's chunk as a stub module and a script for V8's code cache. */
export declare function toScript(text: string, file: string, dependency: (name: string) => string): { script: string; body: string; stub: string }
