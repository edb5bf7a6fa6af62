/** The part of isomer 0.2.6 (plain CommonJS, no types of its own) that the renderer uses. */
declare module 'isomer' {
  class Point {
    constructor(x?: number, y?: number, z?: number);
    x: number;
    y: number;
    z: number;
  }

  class Color {
    /** Channels 0–255, alpha 0–1. */
    constructor(r: number, g: number, b: number, a?: number);
  }

  class Shape {
    static Prism(origin: Point, dx?: number, dy?: number, dz?: number): Shape;
  }

  interface IsomerOptions {
    /** Pixels per unit; 0 means the default (70), as isomer tests with `||`. */
    scale?: number;
    /** Canvas pixel of the world origin; 0 means the default, as for scale. */
    originX?: number;
    originY?: number;
  }

  class Isomer {
    /** Reads the canvas' width and height once, here. */
    constructor(canvas: HTMLCanvasElement, options?: IsomerOptions);
    /** Draws at once, painter's order within the shape only: add shapes back to front. */
    add(item: Shape | Shape[], color?: Color): void;
    canvas: { clear(): void; ctx: CanvasRenderingContext2D };
    static Point: typeof Point;
    static Color: typeof Color;
    static Shape: typeof Shape;
  }

  export default Isomer;
}
