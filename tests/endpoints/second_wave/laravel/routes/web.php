<?php

// Routes written the way Laravel's "Routing" and "Controllers" guides show them.

use App\Http\Controllers\Admin\ReportController;
use App\Http\Controllers\PhotoCommentController;
use App\Http\Controllers\PhotoController;
use App\Http\Controllers\ProvisionServer;
use App\Http\Controllers\UserController;
use Illuminate\Support\Facades\Route;

Route::get('/', function () {
    return view('welcome');
});
Route::view('/about', 'about');

Route::get('/user/{id}', [UserController::class, 'show'])->name('user.show');
Route::post('/user', 'App\Http\Controllers\UserController@store');
Route::match(['get', 'post'], '/search', [UserController::class, 'search']);
Route::post('/server', ProvisionServer::class);

Route::middleware(['auth'])->prefix('admin')->name('admin.')->group(function () {
    Route::get('/reports/{year}/{month?}', [ReportController::class, 'index']);
    Route::controller(UserController::class)->group(function () {
        Route::get('/users/{user}/edit', 'edit');
        Route::put('/users/{user}', 'update');
    });
});

Route::resource('photos', PhotoController::class)->except(['create', 'edit']);
Route::resource('photos.comments', PhotoCommentController::class)->only(['index', 'store']);
