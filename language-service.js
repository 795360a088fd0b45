// tsserver resolves tsconfig "plugins" names the Node 10 way, without package.json
// "exports": { "name": "tsgrad/language-service" } finds this file. Everything
// else uses the "./language-service" entry of "exports".
module.exports = require("./dist/transformer/language-service.js");
