import asyncio
import importlib
import pkgutil

import benchmarks

for module in pkgutil.iter_modules(benchmarks.__path__):
    loaded = importlib.import_module(f"benchmarks.{module.name}")
    if hasattr(loaded, "run"):
        asyncio.run(loaded.run())
