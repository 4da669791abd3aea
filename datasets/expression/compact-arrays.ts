// Compact storage of a large expression matrix: indices as uint16 when their axis has at most 65,536 entries, stored values as uint16 while every one is a count in [0, 65535], halving the 8 bytes an int32 index and a float32 value cost per non-zero.

/** Indices along an axis (genes, or cells in a CSC file): uint16 when the axis fits, else int32. */
export type IndexArray = Int32Array | Uint16Array;

/** Stored values: uint16 when all are integers in [0, 65535] (raw counts almost always are), else float32 as read. */
export type ValueArray = Uint16Array | Float32Array;

/** Entries an axis may have for its indices (0 … 65,535) to fit uint16. */
const UINT16_SPAN = 0x10000;

/** A zeroed array of `size` indices into an axis of `width` entries: uint16 when the axis allows, else int32. */
export function indexArray(width: number, size: number): IndexArray {
  return width <= UINT16_SPAN ? new Uint16Array(size) : new Int32Array(size);
}

/** `values` (all in [0, width)) as the narrowest index array for that width. */
export function indexArrayOf(width: number, values: ArrayLike<number>): IndexArray {
  const array = indexArray(width, values.length);
  array.set(values);
  return array;
}

/**
 * A zeroed array of `size` elements of `array`'s own type: a copy or a subset of a uint16 column stays uint16.
 * The constructor is the one of `array`, a typed array, so it takes a length.
 */
export function sameType<T extends IndexArray | ValueArray>(array: T, size: number): T {
  const Make = array.constructor as new (length: number) => T;
  return new Make(size);
}

/** `array`'s first `size` elements (all when shorter) in a new array of `size` elements of its type, the rest zeros. */
export function resized<T extends IndexArray | ValueArray>(array: T, size: number): T {
  const grown = sameType(array, size);
  grown.set(array.subarray(0, Math.min(size, array.length)));
  return grown;
}

/**
 * Whether `value` is stored exactly as uint16. The value as read (float64 for a double or int64 source) is tested,
 * not its float32 rounding: a double such as 2.9999999999 would round to 3 in float32 but truncate to 2 in
 * uint16, so it goes to float32, which gives the number tokbench always stored.
 */
function fitsUint16(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < UINT16_SPAN;
}

/**
 * A column of stored values, set by position in any order and grown on demand, that starts as uint16 and turns
 * itself, once, into float32 at the first value that is not an integer in [0, 65535], copying what it holds.
 * Either way each value reads back as the float32 number the reader used to store.
 */
export class ValueColumn {
  private array: ValueArray;

  constructor(size: number) {
    this.array = new Uint16Array(size);
  }

  /** The column as it stands; a new array after a widening or a resize, so take it once every value is in. */
  get values(): ValueArray {
    return this.array;
  }

  /** Stores `value` at `at`. */
  set(at: number, value: number): void {
    if (this.array instanceof Uint16Array && !fitsUint16(value)) this.widen();
    this.array[at] = value;
  }

  /** Stores `values` from position `at` on: a slice just read. */
  setAll(values: ArrayLike<number>, at: number): void {
    if (this.array instanceof Uint16Array) {
      for (let i = 0; i < values.length; i++) {
        if (fitsUint16(values[i])) continue;
        this.widen();
        break;
      }
    }
    this.array.set(values, at);
  }

  /** Makes the column `size` values long, keeping those it holds (the first `size` when it shrinks). */
  resize(size: number): void {
    this.array = resized(this.array, size);
  }

  private widen(): void {
    this.array = Float32Array.from(this.array);
  }
}

/** `values` in the narrowest value array that holds them as float32 would: for readers that build a small matrix whole. */
export function valueArrayOf(values: ArrayLike<number>): ValueArray {
  const column = new ValueColumn(values.length);
  column.setAll(values, 0);
  return column.values;
}

/**
 * Stores `values` (a slice just read) into `target` from position `at`, after checking that each is an index in
 * [0, width): a narrow target would otherwise wrap a bad index into a plausible one. Returns the position in
 * `values` of the first index out of range (nothing stored), or −1.
 */
export function storeIndices(target: IndexArray, values: ArrayLike<number>, at: number, width: number): number {
  for (let i = 0; i < values.length; i++) {
    const index = values[i];
    if (!(Number.isInteger(index) && index >= 0 && index < width)) return i;
  }
  target.set(values, at);
  return -1;
}

/**
 * A sorter of compressed sparse entries by index (`indices` below `width`), carrying their values: it sorts
 * entries [start, end) in place and returns an index found twice among them (−1 when none). A scratch vector
 * indexed by index carries the values through a native sort of the indices, so no comparator runs; it holds
 * uint16 and float32 values exactly and is made on the first call.
 */
export function entrySorter(width: number): (indices: IndexArray, data: ValueArray, start: number, end: number) => number {
  let scratch: Float32Array | undefined;
  return (indices, data, start, end) => {
    scratch ??= new Float32Array(width);
    for (let k = start; k < end; k++) scratch[indices[k]] = data[k];
    indices.subarray(start, end).sort();
    for (let k = start; k < end; k++) {
      if (k > start && indices[k] === indices[k - 1]) return indices[k];
      data[k] = scratch[indices[k]];
    }
    return -1;
  };
}
