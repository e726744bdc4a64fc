// tsyringe needs a Reflect polyfill even though every parameter uses an explicit @inject.
import 'reflect-metadata';
